"""Generic helpers of every table update: folding a batch of events, remembering applied events,
timestamps. Each flow's own update rules live in its folder (``streams/flows/<flow>/``)."""
