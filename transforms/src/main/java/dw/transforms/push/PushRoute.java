package dw.transforms.push;

/**
 * The push proxy's counted routes: a request is one when its method is {@code POST} and its URL path
 * (without query) ends with the route's suffix, as the original's {@code url like '%/api/v1/…'}.
 */
public enum PushRoute {
  SEND_PUSH("send_push", "/api/v1/send_push"),
  ACK("ack", "/api/v1/ack");

  private final String code;
  private final String pathSuffix;

  PushRoute(String code, String pathSuffix) {
    this.code = code;
    this.pathSuffix = pathSuffix;
  }

  /** Column value of {@code route}. */
  public String code() {
    return code;
  }

  public String pathSuffix() {
    return pathSuffix;
  }

  public static PushRoute ofCode(String code) {
    for (PushRoute r : values()) {
      if (r.code.equals(code)) {
        return r;
      }
    }
    throw new IllegalArgumentException("not a push route: " + code);
  }
}
