"""The live dashboard a state worker serves at ``GET /dashboard``.

``data.py`` and ``history.py`` compute what it shows from plain values (tested alone),
``assets.py`` finds its static files, ``views.py`` holds the Faust pages and the sampler, and
``static/`` the page, its script and styles, and the vendored uPlot charting library.
"""
