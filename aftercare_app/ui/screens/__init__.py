"""The app's screens, one module each; every screen talks to the app through :class:`aftercare_app.ui.host.Host`."""
