import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter } from "react-router";
// From react-router/dom: its RouterProvider can flushSync a submission (VerificationFormFrame
// disables «Verificar» in the click that sent it); the plain one cannot, and warns.
import { RouterProvider } from "react-router/dom";
import { routes } from "./router.tsx";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("Falta el elemento #root en index.html.");

const router = createBrowserRouter(routes);

createRoot(root).render(
  <StrictMode>
    <RouterProvider router={router} />
  </StrictMode>,
);
