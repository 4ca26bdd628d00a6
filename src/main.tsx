import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/App.tsx";
import { endpointsQuery } from "./features/endpoints/endpoints-query.ts";
import { startScenarios } from "./scenarios/scenario-session.ts";
import "./app/styles.css";

const queryClient = new QueryClient({
  defaultOptions: { queries: { staleTime: 60_000, retry: 1 } },
});

// The catalogue is asked for before React renders (index.html has already preloaded it), so the
// endpoint form usually finds it in the cache when it mounts instead of rendering again for it.
void queryClient.prefetchQuery(endpointsQuery);

// The cards of the last visit (or one fresh card) are made before the first render, so that
// render already holds them; a shared link's scenario replaces them once it is inflated.
startScenarios();

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
