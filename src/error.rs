//! Errors that stop a run: bad input (arguments, sources file, snapshot), never one source
//! failing.
