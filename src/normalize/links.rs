//! Links: extracting them from Google Calendar's HTML descriptions and cleaning them.
