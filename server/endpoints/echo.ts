import { ECHO_SPEC } from "../../src/protocol/endpoint-catalogue.ts";
import { sendWithBackpressure } from "../backpressure.ts";
import { byteLength, countOut } from "../connection-registry.ts";
import { defineEndpoint, type EndpointConnection } from "./endpoint.ts";

/** Sends every message back unchanged: text as text, binary as binary. */
export function echoMessages({ ws, stats }: Pick<EndpointConnection, "ws" | "stats">): void {
  ws.on("message", (data, isBinary) => {
    countOut(stats, byteLength(data));
    sendWithBackpressure(ws, data, isBinary);
  });
}

/** `/echo`: the plain echo, never compressed. */
export const echoEndpoint = defineEndpoint({
  spec: ECHO_SPEC,
  onConnection: echoMessages,
});
