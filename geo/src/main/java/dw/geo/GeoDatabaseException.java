package dw.geo;

/**
 * A GeoIP database cannot be used: missing, unreadable, not a MaxMind DB file, or of the wrong
 * type. The message names the file, the option it came from and the problem, so it can be shown to
 * the operator as is.
 */
public class GeoDatabaseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String path;
  private final String option;

  /**
   * @param path the database file as configured
   * @param option the command-line option that named the file, e.g. {@code --geoipCityDatabase}
   * @param problem what is wrong, in plain words
   * @param cause the underlying exception, or {@code null}
   */
  public GeoDatabaseException(String path, String option, String problem, Throwable cause) {
    super(path + " (" + option + "): " + problem, cause);
    this.path = path;
    this.option = option;
  }

  /** The database file as configured. */
  public String path() {
    return path;
  }

  /** The option that named the file. */
  public String option() {
    return option;
  }
}
