import { Route, Routes } from "react-router";
import { Layout } from "./components/Layout.tsx";
import { MailboxLayout } from "./components/mailbox/MailboxLayout.tsx";
import { CalculatorPage } from "./pages/CalculatorPage.tsx";
import { CurrentYearRedirect } from "./pages/CurrentYearRedirect.tsx";
import { HomePage } from "./pages/HomePage.tsx";
import { MailboxHomePage } from "./pages/MailboxHomePage.tsx";
import { NonBusinessDaysPage } from "./pages/NonBusinessDaysPage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { SessionsPage } from "./pages/SessionsPage.tsx";
import { SignInPage } from "./pages/SignInPage.tsx";
import { VerificationPage } from "./pages/VerificationPage.tsx";

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<HomePage />} />
        <Route path="calculadora" element={<CalculatorPage />} />
        <Route path="dias-inhabiles" element={<CurrentYearRedirect />} />
        <Route path="dias-inhabiles/:year" element={<NonBusinessDaysPage />} />
        {/* One route with an optional folio, so the page stays mounted while tabs change. */}
        <Route path="verificacion/:folio?" element={<VerificationPage />} />
        <Route path="acceso" element={<SignInPage />} />
        <Route path="buzon" element={<MailboxLayout />}>
          <Route index element={<MailboxHomePage />} />
          <Route path="sesiones" element={<SessionsPage />} />
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
