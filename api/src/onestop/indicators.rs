//! One-stop indicators computed from the dossiers and their events.
