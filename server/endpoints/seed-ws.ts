import { CloseCode } from "../../src/protocol/close-codes.ts";
import { SEED_WS_SPEC } from "../../src/protocol/endpoint-catalogue.ts";
import { sendWithBackpressure } from "../backpressure.ts";
import { countOut } from "../connection-registry.ts";
import { defineEndpoint } from "./endpoint.ts";

/**
 * `/ws`: the chapter's example server, verbatim in behaviour. It accepts only the
 * subprotocol `my-subprotocol` (the catalogue fixes it: a query cannot change or waive it) and
 * answers each text message with `Received: <text>`.
 */
export const seedWsEndpoint = defineEndpoint({
  spec: SEED_WS_SPEC,
  onConnection({ ws, stats }) {
    ws.on("message", (data, isBinary) => {
      if (isBinary) {
        // The example speaks text only; RFC 6455 §7.4.1 has a code for exactly this.
        ws.close(CloseCode.UnsupportedData, "This endpoint accepts text messages only");
        return;
      }
      const reply = `Received: ${data.toString()}`;
      countOut(stats, Buffer.byteLength(reply));
      sendWithBackpressure(ws, reply, false);
    });
  },
});
