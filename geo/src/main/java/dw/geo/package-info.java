/**
 * GeoIP enrichment: client IP text to country, subdivision, city and autonomous system.
 *
 * <p>Entry points: {@link dw.geo.GeoLookups#shared} (one open {@link dw.geo.MaxMindGeoLookup} per
 * JVM) and {@link dw.geo.GeoLookups#none} when no database is configured. {@link
 * dw.geo.IpAddresses} parses address literals without DNS. {@link dw.geo.MmdbWriter} and {@link
 * dw.geo.GeoRecords} build small MaxMind DB files for tests and demos, since MaxMind's own
 * databases must not be committed.
 *
 * <p>This package depends only on the JDK, GeoIP2/MaxMind DB and Jackson, never on the rest of
 * the project.
 */
package dw.geo;
