import { type RouteObject, redirect } from "react-router";
import { PAGE_PATHS } from "../../src/platform/http/page-paths.ts";
import { Layout } from "./components/Layout.tsx";
import { LoadingMessage } from "./components/LoadingMessage.tsx";
import { MailboxLayout } from "./components/mailbox/MailboxLayout.tsx";
import { StaffLayout } from "./components/personal/StaffLayout.tsx";
import { RouteError } from "./components/RouteError.tsx";
import { activationAction, activationLoader } from "./data/activation.ts";
import { ownAcusesLoader } from "./data/acuses.ts";
import { staffPromocionesLoader, staffPromocionLoader } from "./data/atencion.ts";
import {
  closeSessionAction,
  mailboxLoader,
  rootLoader,
  sessionsLoader,
  signInAction,
  signOutAction,
} from "./data/auth.ts";
import { calculatorAction, calculatorLoader } from "./data/calculator.ts";
import { calendarYearLoader, currentYearLoader } from "./data/calendar.ts";
import {
  DEMO_CLOCK_NOTICE_ROUTE,
  demoClockAction,
  demoClockLoader,
  demoClockNoticeLoader,
  devInboxLoader,
  devTokenAction,
} from "./data/dev.ts";
import { estradosActoLoader, estradosLoader } from "./data/estrados.ts";
import {
  comunicadosAction,
  comunicadosLoader,
  documentosLoader,
  staffComunicadosAction,
  staffComunicadosLoader,
  UNREAD_ROUTE,
  unreadLoader,
} from "./data/expedientes.ts";
import { buzonLoader, contactMeansAction, validateMeansAction } from "./data/mailbox.ts";
import { expedientesLoader } from "./data/misExpedientes.ts";
import {
  aperturaAction,
  mailboxHomeLoader,
  notificacionesLoader,
  notificacionLoader,
} from "./data/notificaciones.ts";
import {
  cancelAction,
  depositLoader,
  staffActLoader,
  staffListLoader,
  staffLoader,
} from "./data/personal.ts";
import {
  composeAction,
  composeLoader,
  promocionesLoader,
  promocionLoader,
} from "./data/promociones.ts";
import { verificationAction } from "./data/verification.ts";
import { ActivationPage } from "./pages/ActivationPage.tsx";
import { CalculatorPage } from "./pages/CalculatorPage.tsx";
import { ContactMeansPage } from "./pages/ContactMeansPage.tsx";
import { DemoClockPage } from "./pages/DemoClockPage.tsx";
import { DevInboxPage } from "./pages/DevInboxPage.tsx";
import { EstradosActoPage } from "./pages/EstradosActoPage.tsx";
import { EstradosPage } from "./pages/EstradosPage.tsx";
import { HomePage } from "./pages/HomePage.tsx";
import { MailboxHomePage } from "./pages/MailboxHomePage.tsx";
import { NonBusinessDaysPage } from "./pages/NonBusinessDaysPage.tsx";
import { NotFoundPage } from "./pages/NotFoundPage.tsx";
import { OwnAcusesPage } from "./pages/OwnAcusesPage.tsx";
import { SessionsPage } from "./pages/SessionsPage.tsx";
import { SignInPage } from "./pages/SignInPage.tsx";
import { ValidateMeansPage } from "./pages/ValidateMeansPage.tsx";
import { VerificationPage } from "./pages/VerificationPage.tsx";

/*
 * The notifications' pages (the particular's and the staff's) load as their own chunks on first
 * visit: most visitors never open them, and the first page parses less.
 */

/** `/calculadora` → `calculadora`: the router's child paths are relative to the root. */
const child = (path: string) => path.replace(/^\//, "");
/** `/buzon/medios` → `medios`: relative to the mailbox. */
const inMailbox = (path: string) => path.replace(`${PAGE_PATHS.mailbox}/`, "");
/** The staff area's root and its pages relative to it. */
const STAFF_ROOT = "/personal";
const inStaff = (path: string) => path.replace(`${STAFF_ROOT}/`, "");

/**
 * The pages, with their loaders and actions. Paths come from PAGE_PATHS, the list the server
 * also reads to answer 200 for these pages and 404 for any other.
 */
export const routes: RouteObject[] = [
  {
    id: "root",
    path: PAGE_PATHS.home,
    element: <Layout />,
    // Who is signed in, for the navigation and Inicio: asked once, kept until it changes.
    loader: rootLoader,
    hydrateFallbackElement: <LoadingMessage />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <HomePage /> },
      {
        path: child(PAGE_PATHS.calculator),
        loader: calculatorLoader,
        // A calculation changes no calendar: only a navigation asks for the versions again.
        shouldRevalidate: ({ formAction, defaultShouldRevalidate }) =>
          formAction ? false : defaultShouldRevalidate,
        element: <CalculatorPage />,
        action: calculatorAction,
      },
      { path: child(PAGE_PATHS.nonBusinessDays), loader: currentYearLoader },
      {
        path: child(PAGE_PATHS.nonBusinessDaysOfYear),
        loader: calendarYearLoader,
        element: <NonBusinessDaysPage />,
      },
      // One route with an optional folio, so the page stays mounted while tabs change.
      {
        path: child(PAGE_PATHS.verification),
        element: <VerificationPage />,
        action: verificationAction,
      },
      {
        path: child(PAGE_PATHS.estrados),
        loader: estradosLoader,
        element: <EstradosPage />,
      },
      {
        path: child(PAGE_PATHS.estradosActo),
        loader: estradosActoLoader,
        element: <EstradosActoPage />,
      },
      { path: child(PAGE_PATHS.signIn), element: <SignInPage />, action: signInAction },
      { path: child(PAGE_PATHS.signOut), action: signOutAction, loader: () => redirect("/") },
      {
        path: child(PAGE_PATHS.mailbox),
        loader: mailboxLoader,
        element: <MailboxLayout />,
        children: [
          { index: true, loader: mailboxHomeLoader, element: <MailboxHomePage /> },
          {
            path: inMailbox(PAGE_PATHS.contactMeans),
            loader: buzonLoader,
            action: contactMeansAction,
            element: <ContactMeansPage />,
          },
          {
            path: inMailbox(PAGE_PATHS.validateMeans),
            loader: buzonLoader,
            action: validateMeansAction,
            element: <ValidateMeansPage />,
          },
          {
            path: inMailbox(PAGE_PATHS.activation),
            loader: activationLoader,
            action: activationAction,
            element: <ActivationPage />,
          },
          {
            path: inMailbox(PAGE_PATHS.notificaciones),
            loader: notificacionesLoader,
            lazy: async () => ({
              Component: (await import("./pages/NotificacionesPage.tsx")).NotificacionesPage,
            }),
          },
          {
            path: inMailbox(PAGE_PATHS.notificacion),
            loader: notificacionLoader,
            action: aperturaAction,
            lazy: async () => ({
              Component: (await import("./pages/NotificacionPage.tsx")).NotificacionPage,
            }),
          },
          {
            path: inMailbox(PAGE_PATHS.promociones),
            loader: promocionesLoader,
            lazy: async () => ({
              Component: (await import("./pages/PromocionesPage.tsx")).PromocionesPage,
            }),
          },
          {
            path: inMailbox(PAGE_PATHS.promocionNueva),
            loader: composeLoader,
            action: composeAction,
            // A saved draft or a refusal changes nothing the form loaded.
            shouldRevalidate: ({ formMethod, defaultShouldRevalidate }) =>
              formMethod ? false : defaultShouldRevalidate,
            lazy: async () => ({
              Component: (await import("./pages/PromocionNuevaPage.tsx")).PromocionNuevaPage,
            }),
          },
          {
            path: inMailbox(PAGE_PATHS.promocion),
            loader: promocionLoader,
            lazy: async () => ({
              Component: (await import("./pages/PromocionPage.tsx")).PromocionPage,
            }),
          },
          {
            path: inMailbox(PAGE_PATHS.expedientes),
            loader: expedientesLoader,
            lazy: async () => ({
              Component: (await import("./pages/ExpedientesPage.tsx")).ExpedientesPage,
            }),
          },
          {
            path: inMailbox(PAGE_PATHS.documentos),
            loader: documentosLoader,
            lazy: async () => ({
              Component: (await import("./pages/DocumentosPage.tsx")).DocumentosPage,
            }),
          },
          {
            path: inMailbox(PAGE_PATHS.comunicados),
            loader: comunicadosLoader,
            action: comunicadosAction,
            lazy: async () => ({
              Component: (await import("./pages/ComunicadosPage.tsx")).ComunicadosPage,
            }),
          },
          {
            path: inMailbox(PAGE_PATHS.ownAcuses),
            loader: ownAcusesLoader,
            element: <OwnAcusesPage />,
          },
          {
            path: inMailbox(PAGE_PATHS.sessions),
            loader: sessionsLoader,
            action: closeSessionAction,
            element: <SessionsPage />,
          },
        ],
      },
      {
        id: "staff",
        path: child(STAFF_ROOT),
        loader: staffLoader,
        element: <StaffLayout />,
        children: [
          {
            path: inStaff(PAGE_PATHS.staffNotificaciones),
            loader: staffListLoader,
            action: cancelAction,
            lazy: async () => ({
              Component: (await import("./pages/StaffNotificacionesPage.tsx"))
                .StaffNotificacionesPage,
            }),
          },
          {
            path: inStaff(PAGE_PATHS.staffCompose),
            loader: depositLoader,
            lazy: async () => ({
              Component: (await import("./pages/StaffComposePage.tsx")).StaffComposePage,
            }),
          },
          {
            path: inStaff(PAGE_PATHS.staffComunicados),
            loader: staffComunicadosLoader,
            action: staffComunicadosAction,
            lazy: async () => ({
              Component: (await import("./pages/StaffComunicadosPage.tsx")).StaffComunicadosPage,
            }),
          },
          {
            path: inStaff(PAGE_PATHS.staffPromociones),
            loader: staffPromocionesLoader,
            lazy: async () => ({
              Component: (await import("./pages/StaffPromocionesPage.tsx")).StaffPromocionesPage,
            }),
          },
          {
            path: inStaff(PAGE_PATHS.staffPromocion),
            loader: staffPromocionLoader,
            lazy: async () => ({
              Component: (await import("./pages/StaffPromocionPage.tsx")).StaffPromocionPage,
            }),
          },
          {
            path: inStaff(PAGE_PATHS.staffAct),
            loader: staffActLoader,
            lazy: async () => ({
              Component: (await import("./pages/StaffActPage.tsx")).StaffActPage,
            }),
          },
        ],
      },
      {
        path: child(PAGE_PATHS.devInbox),
        loader: devInboxLoader,
        action: devTokenAction,
        element: <DevInboxPage />,
      },
      {
        path: child(PAGE_PATHS.demoClock),
        loader: demoClockLoader,
        action: demoClockAction,
        element: <DemoClockPage />,
      },
      // Data only, for the menu's unread badge (a fetcher): not a page.
      { path: child(UNREAD_ROUTE), loader: unreadLoader, element: <NotFoundPage /> },
      // Data only, for the banner's fetcher: not a page (the server answers it 404 as well).
      {
        path: child(DEMO_CLOCK_NOTICE_ROUTE),
        loader: demoClockNoticeLoader,
        element: <NotFoundPage />,
      },
      { path: "*", element: <NotFoundPage /> },
    ],
  },
];
