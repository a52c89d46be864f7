# Reads a feed (RSS or Atom) from stdin with Perl's XML::Feed (Debian libxml-feed-perl 0.63) and prints what it
# understood, as JSON: a judge the project did not write.
use strict;
use warnings;
use JSON::PP;
use XML::Feed;

# Without it XML::Atom hands back Atom text as undecoded UTF-8 bytes (mojibake in every non-ASCII name and title);
# programs that read Atom set it, and so does the judge.
$XML::Atom::ForceUnicode = 1;

my $xml = do { local $/; <STDIN> };
my $feed = XML::Feed->parse(\$xml) or die XML::Feed->errstr . "\n";
my $date = sub { my ($d) = @_; defined $d ? $d->clone->set_time_zone('UTC')->iso8601 . 'Z' : undef };
my @entries;
for my $entry ($feed->entries) {
    my $author = $entry->author;
    my @enclosures = grep { defined } $entry->enclosure;
    push @entries, {
        id         => $entry->id,
        title      => $entry->title,
        link       => $entry->link,
        issued     => $date->($entry->issued),
        modified   => $date->($entry->modified),
        # One string, or a list when an RSS item has several dc:creator.
        authors    => ref $author eq 'ARRAY' ? $author : defined $author ? [$author] : [],
        summary    => defined $entry->summary ? $entry->summary->body : undef,
        content    => defined $entry->content ? $entry->content->body : undef,
        categories => [ $entry->category ],
        enclosures => [ map { { url => $_->url, type => $_->type, length => $_->length } } @enclosures ],
    };
}
binmode STDOUT;
print JSON::PP->new->utf8->canonical->encode({ format => $feed->format, language => $feed->language, entries => \@entries });
