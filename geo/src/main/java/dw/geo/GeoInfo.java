package dw.geo;

import java.io.Serializable;

/**
 * What a GeoIP lookup knows about one address. Every field may be {@code null}; names are English.
 *
 * @param countryIso ISO 3166-1 alpha-2 country code, e.g. {@code "DE"}
 * @param countryName country name, e.g. {@code "Germany"}
 * @param subdivisionIso ISO 3166-2 code of the most specific subdivision (without the country
 *     prefix, as MaxMind stores it), e.g. {@code "BE"}
 * @param subdivisionName name of the most specific subdivision, e.g. {@code "Berlin"}
 * @param city city name
 * @param asn autonomous system number
 * @param asnOrganization organization that owns the autonomous system
 */
public record GeoInfo(
    String countryIso,
    String countryName,
    String subdivisionIso,
    String subdivisionName,
    String city,
    Long asn,
    String asnOrganization)
    implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Nothing known. Lookups return this shared instance rather than a new empty value. */
  public static final GeoInfo EMPTY = new GeoInfo(null, null, null, null, null, null, null);

  /** Returns whether no field is set. */
  public boolean isEmpty() {
    return countryIso == null
        && countryName == null
        && subdivisionIso == null
        && subdivisionName == null
        && city == null
        && asn == null
        && asnOrganization == null;
  }
}
