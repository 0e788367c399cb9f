package dw.geo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds records in the layout of MaxMind's GeoIP2/GeoLite2 databases, for {@link MmdbWriter}.
 * Names are English ({@code names.en}); {@code null} arguments leave the field out.
 */
public final class GeoRecords {

  private GeoRecords() {}

  /**
   * A GeoIP2/GeoLite2-City record: {@code {country: {iso_code, names: {en}}, subdivisions:
   * [{iso_code, names: {en}}], city: {names: {en}}}}.
   */
  public static Map<String, Object> cityRecord(
      String countryIso,
      String countryName,
      String subdivisionIso,
      String subdivisionName,
      String cityName) {
    return cityRecord(null, countryIso, countryName, subdivisionIso, subdivisionName, cityName);
  }

  /**
   * Like {@link #cityRecord(String, String, String, String, String)} plus {@code continent.code}.
   */
  public static Map<String, Object> cityRecord(
      String continentCode,
      String countryIso,
      String countryName,
      String subdivisionIso,
      String subdivisionName,
      String cityName) {
    Map<String, Object> record = new LinkedHashMap<>();
    if (continentCode != null) {
      record.put("continent", Map.of("code", continentCode));
    }
    Map<String, Object> country = place(countryIso, countryName);
    if (country != null) {
      record.put("country", country);
    }
    Map<String, Object> subdivision = place(subdivisionIso, subdivisionName);
    if (subdivision != null) {
      record.put("subdivisions", List.of(subdivision));
    }
    Map<String, Object> city = place(null, cityName);
    if (city != null) {
      record.put("city", city);
    }
    return record;
  }

  /** A GeoLite2-ASN record: {@code {autonomous_system_number, autonomous_system_organization}}. */
  public static Map<String, Object> asnRecord(long asn, String organization) {
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("autonomous_system_number", MmdbWriter.uint32(asn));
    if (organization != null) {
      record.put("autonomous_system_organization", organization);
    }
    return record;
  }

  private static Map<String, Object> place(String isoCode, String englishName) {
    if (isoCode == null && englishName == null) {
      return null;
    }
    Map<String, Object> place = new LinkedHashMap<>();
    if (isoCode != null) {
      place.put("iso_code", isoCode);
    }
    if (englishName != null) {
      place.put("names", Map.of("en", englishName));
    }
    return place;
  }
}
