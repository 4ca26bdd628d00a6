import { sendWithBackpressure } from "../backpressure.ts";
import { byteLength } from "../connection-registry.ts";
import type { EndpointImplementation } from "./endpoint.ts";

/** `/echo`: every message back unchanged, text as text and binary as binary. */
export const echoEndpoint: EndpointImplementation = {
  path: "/echo",
  wsOptions: { perMessageDeflate: false },
  onConnection({ ws, registry, path }) {
    ws.on("message", (data, isBinary) => {
      registry.countOut(path, byteLength(data));
      sendWithBackpressure(ws, data, isBinary);
    });
  },
};
