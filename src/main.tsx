import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App.tsx";
import { endpointsQuery } from "./features/endpoints/endpoints-query.ts";
import { useConnections } from "./stores/connections-store.ts";
import "./app/styles.css";

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 60_000, retry: 1 } },
});

// The catalogue is asked for before React renders (index.html has already preloaded it), so the
// endpoint form usually finds it in the cache when it mounts instead of rendering again for it.
void queryClient.prefetchQuery(endpointsQuery);

// One card on load, created before the first render so that render already holds it.
if (useConnections.getState().order.length === 0) useConnections.getState().addCard();

const root = document.getElementById("root");
if (!root) throw new Error("index.html lost its #root element");
// The first render holds only the shell and each card's header and URL row (the panels follow,
// one group per frame: see ConnectionCard), so it stays a short, unsliced default-priority render.
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
