"""Start the Aftercare Companion: serves the app on http://127.0.0.1:8550 and opens a browser.

Options: --host HOST (or AFTERCARE_HOST), --port PORT (or AFTERCARE_PORT), --no-browser.
"""

from aftercare_app.ui.cli_entry import run

if __name__ == "__main__":
    run()
