//! `thanthien gen-demo-dossiers`: demo communes and dossiers for benchmarks and demos.
