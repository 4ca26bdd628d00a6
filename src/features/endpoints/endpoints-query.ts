import { queryOptions } from "@tanstack/react-query";
import type { EndpointSpec } from "../../protocol/endpoint-catalogue.ts";

/** `GET /api/endpoints`: the catalogue the endpoint picker and parameter forms are built from. */
export const endpointsQuery = queryOptions({
  queryKey: ["endpoints"],
  queryFn: async (): Promise<EndpointSpec[]> => {
    const response = await fetch("/api/endpoints");
    if (!response.ok) throw new Error(`GET /api/endpoints answered ${response.status}`);
    return (await response.json()) as EndpointSpec[];
  },
});
