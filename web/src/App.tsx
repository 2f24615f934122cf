import { Route, Routes } from "react-router";
import { Layout } from "./components/Layout.tsx";
import { CalculatorPage } from "./pages/CalculatorPage.tsx";
import { CurrentYearRedirect } from "./pages/CurrentYearRedirect.tsx";
import { HomePage } from "./pages/HomePage.tsx";
import { NonBusinessDaysPage } from "./pages/NonBusinessDaysPage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route path="calculadora" element={<CalculatorPage />} />
        <Route path="dias-inhabiles" element={<CurrentYearRedirect />} />
        <Route path="dias-inhabiles/:year" element={<NonBusinessDaysPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
