import { sendWithBackpressure } from "../backpressure.ts";
import { byteLength, countOut } from "../connection-registry.ts";
import type { EndpointConnection, EndpointImplementation } from "./endpoint.ts";

/** Sends every message back unchanged: text as text, binary as binary. */
export function echoMessages({ ws, stats }: EndpointConnection): void {
  ws.on("message", (data, isBinary) => {
    countOut(stats, byteLength(data));
    sendWithBackpressure(ws, data, isBinary);
  });
}

/** `/echo`: the plain echo, never compressed. */
export const echoEndpoint: EndpointImplementation = {
  path: "/echo",
  onConnection: echoMessages,
};
