/**
 * What the agreed permessage-deflate parameters mean, parameter by parameter, and what each
 * side really does with them. A browser's offer is fixed (Chromium sends
 * `permessage-deflate; client_max_window_bits`, and a page cannot change it): everything
 * else is the server's choice, so the explanation reads the answer and the URL's query.
 */
import { parseExtensionHeader, readDeflateParams } from "../../protocol/extensions.ts";
import { formatCount } from "../../shared/format-count.ts";

export interface ParameterLine {
  /** The parameter as written in the header or the query, e.g. `server_max_window_bits=10`. */
  name: string;
  meaning: string;
}

export interface DeflateExplanation {
  agreed: boolean;
  lines: ParameterLine[];
}

const windowSize = (bits: number) => `${formatCount(2 ** bits)} bytes`;

/**
 * @param extensions `socket.extensions` (the server's answer as the browser accepted it)
 * @param query the query of the URL connected to (`threshold`, `level` and what it asked for)
 * @param smallestBrowserCompressed the smallest message the browser sent compressed, if any
 */
export function explainDeflate(
  extensions: string,
  query: URLSearchParams,
  smallestBrowserCompressed?: number,
): DeflateExplanation {
  const parsed = parseExtensionHeader(extensions);
  const element = parsed.ok
    ? parsed.offers.find((offer) => offer.name === "permessage-deflate")
    : undefined;
  const read = element ? readDeflateParams(element.params, "answer") : undefined;
  if (!read?.ok) return { agreed: false, lines: [] };
  const agreed = read.params;
  const lines: ParameterLine[] = [];
  lines.push(
    agreed.serverNoContextTakeover
      ? {
          name: "server_no_context_takeover",
          meaning:
            "The server empties its compressor after every message: each one is compressed alone, so a second similar message costs as much as the first. It saves the server keeping a window between messages.",
        }
      : {
          name: "(server context takeover)",
          meaning:
            "Not named, so the server keeps its window between messages: a message like an earlier one shrinks to a few back-references.",
        },
  );
  lines.push(
    agreed.clientNoContextTakeover
      ? {
          name: "client_no_context_takeover",
          meaning:
            "Your browser empties its compressor after every message it sends (the server asked; browsers honour it).",
        }
      : {
          name: "(client context takeover)",
          meaning: "Not named, so your browser keeps its compression window between messages.",
        },
  );
  lines.push(
    agreed.serverMaxWindowBits !== undefined
      ? {
          name: `server_max_window_bits=${agreed.serverMaxWindowBits}`,
          meaning: `The server's compressor looks back at most ${windowSize(agreed.serverMaxWindowBits)}: less memory, fewer repeats found.`,
        }
      : {
          name: "(server_max_window_bits)",
          meaning: `Not named: the server may look back the full ${windowSize(15)} (15 bits).`,
        },
  );
  const clientBits = agreed.clientMaxWindowBits;
  lines.push(
    typeof clientBits === "number"
      ? {
          name: `client_max_window_bits=${clientBits}`,
          meaning: `Your browser offered client_max_window_bits with no value ("I can use a smaller window"), and the server told it to look back at most ${windowSize(clientBits)}; the server's inflater then needs only that much.`,
        }
      : {
          name: "(client_max_window_bits)",
          meaning: `Your browser offered client_max_window_bits; the server did not take it up, so the browser may look back ${windowSize(15)}.`,
        },
  );
  const threshold = Number(query.get("threshold") ?? "0");
  if (threshold > 0) {
    const evidence =
      smallestBrowserCompressed !== undefined && smallestBrowserCompressed < threshold
        ? ` The frame log shows it: a ${formatCount(smallestBrowserCompressed)}-byte message from your browser crossed compressed (RSV1 set).`
        : "";
    lines.push({
      name: `threshold=${threshold} (query, not in the header)`,
      meaning: `Honoured only by the server: messages it sends shorter than ${formatCount(threshold)} bytes go uncompressed. It is not part of RFC 7692 and a page cannot set one, so your browser compresses every message it sends, short ones too.${evidence}`,
    });
  } else {
    lines.push({
      name: "threshold=0 (query, not in the header)",
      meaning:
        "The server compresses every message it sends; so does your browser, which has no threshold at all.",
    });
  }
  const level = query.get("level");
  lines.push({
    name: `level=${level ?? "6"} (query, not in the header)`,
    meaning:
      "zlib's effort on the server's side only (0 stores without compressing yet still sets RSV1, 9 tries hardest); the browser picks its own.",
  });
  return { agreed: true, lines };
}
