"""Tools a person runs, apart from the app's spine: the `shopstream` CLI, the demo, the embedded broker,
topic administration, the traffic replay, the click-log export and the process launcher."""
