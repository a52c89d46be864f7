"""Runs Debian's rss2email (`r2e`, 3.13) over a feed file, offline, and prints the mails it sends as JSON.

rss2email fetches the feed through the Universal Feed Parser's loose parser and mails each entry as text: the first
text/plain among the entry's content and summary_detail, else its HTML converted to text. Its sendmail is a stand-in
script that writes each mail to a file, so nothing leaves the machine. A judge the project did not write.
"""
import email
import email.policy
import json
import os
import subprocess
import sys
import tempfile

SENDMAIL = """#!/bin/sh
# sendmail stand-in: each message (stdin) to a new file beside this script
cat > "$(mktemp "$(dirname "$0")/mail/message.XXXXXX")"
"""

CONFIG = """[DEFAULT]
to = reader@example.invalid
email-protocol = sendmail
sendmail = {sendmail}
name-format = {{author}}
date-header = True
"""


def main(feed_path):
    with tempfile.TemporaryDirectory(prefix="edge-feeds-rss2email-") as work:
        os.mkdir(os.path.join(work, "mail"))
        sendmail = os.path.join(work, "sendmail")
        with open(sendmail, "w") as handle:
            handle.write(SENDMAIL)
        os.chmod(sendmail, 0o755)
        config = os.path.join(work, "rss2email.cfg")
        with open(config, "w") as handle:
            handle.write(CONFIG.format(sendmail=sendmail))
        data = os.path.join(work, "rss2email.json")
        # Its own HOME: a user's rss2email settings must not change what the judge sees.
        env = {**os.environ, "HOME": work, "XDG_CONFIG_HOME": work, "XDG_DATA_HOME": work}
        base = ["r2e", "-c", config, "-d", data]
        for args in (["add", "feed", "file://" + os.path.abspath(feed_path)], ["run"]):
            done = subprocess.run(base + args, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                sys.stderr.write(done.stderr)
                sys.exit(done.returncode)
        mails = []
        for name in sorted(os.listdir(os.path.join(work, "mail"))):
            with open(os.path.join(work, "mail", name), "rb") as handle:
                message = email.message_from_binary_file(handle, policy=email.policy.default)
            sender = message["From"]
            mails.append({
                "from_name": sender.addresses[0].display_name if sender and sender.addresses else None,
                "from_address": sender.addresses[0].addr_spec if sender and sender.addresses else None,
                "subject": str(message["Subject"]) if message["Subject"] is not None else None,
                "date": str(message["Date"]) if message["Date"] is not None else None,
                "id": message["X-RSS-ID"],
                "url": message["X-RSS-URL"],
                "tags": message["X-RSS-TAGS"],
                "content_type": message.get_content_type(),
                "body": message.get_content(),
            })
        json.dump(mails, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
