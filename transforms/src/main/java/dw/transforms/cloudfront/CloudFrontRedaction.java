package dw.transforms.cloudfront;

import dw.transforms.privacy.ClientIpPolicy;
import dw.transforms.privacy.IpRedaction;

/**
 * The raw CloudFront line a dead letter keeps, without the client's address: {@code c-ip} replaced
 * by its keyed hash (the value of {@code client_ip_hash}) and every address in {@code
 * x-forwarded-for} likewise; the other fields as they were. Unchanged under {@code
 * --storeClientIpInClear}.
 *
 * <p>The fields are found by the file's layout only when the line has exactly the layout's number
 * of TAB-separated fields (a stray trailing tab and CR/LF allowed) and {@code c-ip} holds an address
 * or {@code -}. Any other line (truncated, garbage, shifted fields) and any header line is redacted
 * conservatively: every token that parses as an IPv4 or IPv6 address is replaced ({@link
 * IpRedaction#redactAddresses}). Pure and allocation-light: no split, nothing allocated when there
 * is nothing to replace.
 */
public final class CloudFrontRedaction {
  private static final String X_FORWARDED_FOR = "x-forwarded-for";

  private CloudFrontRedaction() {}

  /** {@code raw} without clear client addresses (see the class comment). */
  public static String redact(String raw, CloudFrontLayout layout, ClientIpPolicy ips) {
    if (raw == null || ips.storesInClear()) {
      return raw;
    }
    if (layout == null || CloudFrontLayout.isHeader(raw)) {
      return IpRedaction.redactAddresses(raw, ips);
    }
    int len = raw.length();
    while (len > 0 && (raw.charAt(len - 1) == '\r' || raw.charAt(len - 1) == '\n')) {
      len--;
    }
    int ipField = layout.index(CloudFrontField.CLIENT_IP);
    int xffField = xForwardedFor(layout);
    int expected = layout.fieldCount();
    int ipFrom = -1;
    int ipTo = -1;
    int xffFrom = -1;
    int xffTo = -1;
    int field = 0;
    int start = 0;
    while (true) {
      int tab = raw.indexOf('\t', start);
      int end = tab < 0 || tab >= len ? len : tab;
      if (field == ipField) {
        ipFrom = start;
        ipTo = end;
      } else if (field == xffField) {
        xffFrom = start;
        xffTo = end;
      }
      field++;
      if (end == len) {
        break;
      }
      start = end + 1;
      if (start == len && field == expected) {
        break; // one stray trailing tab
      }
    }
    if (field != expected || ipFrom < 0) {
      return IpRedaction.redactAddresses(raw, ips);
    }
    return IpRedaction.redactFields(raw, ips, ipFrom, ipTo, xffFrom, xffTo);
  }

  private static int xForwardedFor(CloudFrontLayout layout) {
    java.util.List<String> names = layout.fieldNames();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).equalsIgnoreCase(X_FORWARDED_FOR)) {
        return i;
      }
    }
    return -1;
  }
}
