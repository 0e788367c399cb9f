package dw.transforms.push;

/**
 * The status classes of {@code push_proxy_hourly}, by the load balancer's status code ({@code
 * elb_status_code}): {@code answered} = 200 (the original's metric: reached the proxy and was
 * answered, not "delivered"), {@code rate_limited} = 429, {@code client_errors} = other 4xx except
 * 460, {@code server_errors} = 5xx and 460 (the load balancer's "client closed the connection before
 * the idle timeout" while the target was working, counted with the load balancer's own 502/503/504).
 * Other codes (1xx, other 2xx, 3xx, none) count only in {@code requests}.
 */
public enum PushStatus {
  ANSWERED,
  RATE_LIMITED,
  CLIENT_ERROR,
  SERVER_ERROR,
  OTHER;

  public static PushStatus of(int elbStatus) {
    if (elbStatus == 200) {
      return ANSWERED;
    }
    if (elbStatus == 429) {
      return RATE_LIMITED;
    }
    if (elbStatus == 460 || (elbStatus >= 500 && elbStatus <= 599)) {
      return SERVER_ERROR;
    }
    if (elbStatus >= 400 && elbStatus <= 499) {
      return CLIENT_ERROR;
    }
    return OTHER;
  }
}
