//! One-stop indicators and the 766 index on hand-built fixtures, every number worked out by hand.
