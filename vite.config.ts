import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  // dist/app is the page; dist/lib is the server built as a library (tsconfig.lib.json).
  build: { outDir: "dist/app", emptyOutDir: true, chunkSizeWarningLimit: 800 },
});
