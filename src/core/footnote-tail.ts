// markdown-it-footnote's last step (moving footnote bodies to the end of the document) in time linear in the tokens.
import type { StateCore, Token } from "markdown-it";

interface FootnoteEntry {
  label?: string;
  count?: number;
  content?: string;
  tokens?: Token[];
}

interface FootnoteEnv {
  footnotes?: { list?: FootnoteEntry[] };
}

/**
 * The same tokens, in the same order, as markdown-it-footnote 4.0's `footnote_tail` rule (MIT, markdown-it authors),
 * which this replaces (`core.ruler.at("footnote_tail", …)`): the plugin appends each footnote with
 * `state.tokens = state.tokens.concat(…)`, copying the whole document once per footnote. Here each token is pushed once.
 */
export function appendFootnotes(state: StateCore): void {
  const env = state.env as FootnoteEnv;
  if (!env.footnotes) return;

  const refTokens = new Map<string, Token[]>();
  let current: Token[] = [];
  let currentLabel = "";
  let insideRef = false;
  state.tokens = state.tokens.filter((token) => {
    if (token.type === "footnote_reference_open") {
      insideRef = true;
      current = [];
      currentLabel = (token.meta as { label: string }).label;
      return false;
    }
    if (token.type === "footnote_reference_close") {
      insideRef = false;
      refTokens.set(currentLabel, current);
      return false;
    }
    if (insideRef) current.push(token);
    return !insideRef;
  });

  const list = env.footnotes.list;
  if (!list) return;
  const out = state.tokens;
  out.push(new state.Token("footnote_block_open", "", 1));
  // Kept across entries, as in the plugin: an entry with neither tokens nor label repeats the previous one's.
  let tokens: Token[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const entry = list[i]!;
    const open = new state.Token("footnote_open", "", 1);
    open.meta = { id: i, label: entry.label };
    out.push(open);

    if (entry.tokens) {
      const paragraphOpen = new state.Token("paragraph_open", "p", 1);
      paragraphOpen.block = true;
      const inline = new state.Token("inline", "", 0);
      inline.children = entry.tokens;
      inline.content = entry.content ?? "";
      const paragraphClose = new state.Token("paragraph_close", "p", -1);
      paragraphClose.block = true;
      tokens = [paragraphOpen, inline, paragraphClose];
    } else if (entry.label) {
      tokens = refTokens.get(entry.label);
    }
    if (tokens) for (const token of tokens) out.push(token);

    const lastParagraph = out.at(-1)?.type === "paragraph_close" ? out.pop() : undefined;
    const anchors = (entry.count ?? 0) > 0 ? entry.count! : 1;
    for (let j = 0; j < anchors; j++) {
      const anchor = new state.Token("footnote_anchor", "", 0);
      anchor.meta = { id: i, subId: j, label: entry.label };
      out.push(anchor);
    }
    if (lastParagraph) out.push(lastParagraph);
    out.push(new state.Token("footnote_close", "", -1));
  }
  out.push(new state.Token("footnote_block_close", "", -1));
}
