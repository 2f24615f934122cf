import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The web app lives in web/ and is served by the API server from dist/web.
export default defineConfig({
  root: "web",
  plugins: [react()],
  build: { outDir: "../dist/web", emptyOutDir: true, sourcemap: true },
  server: { proxy: { "/api": "http://127.0.0.1:8080" } },
});
