import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import sirv from "sirv";
import { answerPlainText } from "./plain-text-response.ts";
import { applySecurityHeaders } from "./security-headers.ts";

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/** The methods static paths answer; every other one gets 405 with this list in `Allow`. */
export const STATIC_METHODS = ["GET", "HEAD"] as const;

/**
 * Serves the built page from `staticDir` (index.html for every path the folder lacks, so
 * scenario links open the app) with the security headers. Static paths are read-only: other
 * methods get 405, and a missing build gets 503 saying how to make one.
 */
export function createStaticHandler(staticDir: string): RequestHandler {
  const serve = existsSync(staticDir)
    ? sirv(staticDir, { single: true, etag: true, gzip: false })
    : undefined;
  return (request, response) => {
    applySecurityHeaders(response);
    const method = request.method ?? "";
    if (!(STATIC_METHODS as readonly string[]).includes(method)) {
      answerPlainText(
        response,
        405,
        `${method} is not allowed here: the page and its files are only read, with ${STATIC_METHODS.join(" or ")}.`,
        { Allow: STATIC_METHODS.join(", ") },
      );
      return;
    }
    if (!serve) {
      answerPlainText(
        response,
        503,
        "The app is not built: run `npm run build` (npm start does it for you).",
      );
      return;
    }
    serve(request, response);
  };
}
