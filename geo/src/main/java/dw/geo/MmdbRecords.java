package dw.geo;

import com.maxmind.db.MaxMindDbConstructor;
import com.maxmind.db.MaxMindDbParameter;
import java.util.List;

/**
 * The few fields of a GeoIP2 City / ASN record the pipelines use, decoded by the low-level MaxMind
 * DB reader straight into these classes. Unlike GeoIP2's {@code CityResponse}, they take no
 * per-lookup context (IP address, network), so the reader's cache can hand back the same decoded
 * object for every address of a network, and keys not listed here (other languages, location,
 * postal code, traits…) are skipped instead of decoded.
 */
public final class MmdbRecords {
  private MmdbRecords() {}

  /** {@code names}: only English. */
  public static final class Names {
    final String en;

    @MaxMindDbConstructor
    public Names(@MaxMindDbParameter(name = "en") String en) {
      this.en = en;
    }
  }

  /** {@code country} and each element of {@code subdivisions}. */
  public static final class Place {
    final String isoCode;
    final String name;

    @MaxMindDbConstructor
    public Place(
        @MaxMindDbParameter(name = "iso_code") String isoCode,
        @MaxMindDbParameter(name = "names") Names names) {
      this.isoCode = isoCode;
      this.name = names == null ? null : names.en;
    }
  }

  /** {@code city}. */
  public static final class CityName {
    final String name;

    @MaxMindDbConstructor
    public CityName(@MaxMindDbParameter(name = "names") Names names) {
      this.name = names == null ? null : names.en;
    }
  }

  /** A City database record: country, most specific subdivision (the last one), city. */
  public static final class City {
    final Place country;
    final Place subdivision;
    final String city;

    @MaxMindDbConstructor
    public City(
        @MaxMindDbParameter(name = "country") Place country,
        @MaxMindDbParameter(name = "subdivisions") List<Place> subdivisions,
        @MaxMindDbParameter(name = "city") CityName city) {
      this.country = country;
      this.subdivision =
          subdivisions == null || subdivisions.isEmpty() ? null : subdivisions.get(subdivisions.size() - 1);
      this.city = city == null ? null : city.name;
    }
  }

  /** An ASN database record. */
  public static final class Asn {
    final Long number;
    final String organization;

    @MaxMindDbConstructor
    public Asn(
        @MaxMindDbParameter(name = "autonomous_system_number") Long number,
        @MaxMindDbParameter(name = "autonomous_system_organization") String organization) {
      this.number = number;
      this.organization = organization;
    }
  }
}
