package dw.transforms.push;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps load balancers to deployment labels, from {@code --deployments=US=app/push-proxy-us,
 * EU=app/push-proxy-eu,TEST=app/push-proxy-test}. A load balancer is named as in the {@code elb}
 * field without its id ({@code app/<name>}); the full {@code app/<name>/<id>} is accepted too.
 * Unmapped load balancers keep their name as the label.
 */
public final class Deployments implements Serializable {
  private static final long serialVersionUID = 1L;
  private final LinkedHashMap<String, String> labelByLoadBalancer;

  private Deployments(LinkedHashMap<String, String> labelByLoadBalancer) {
    this.labelByLoadBalancer = labelByLoadBalancer;
  }

  public static Deployments none() {
    return new Deployments(new LinkedHashMap<>());
  }

  /**
   * Parses {@code LABEL=app/name[,LABEL=app/name…]} (blank: no mapping).
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static Deployments parse(String spec) {
    LinkedHashMap<String, String> m = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return new Deployments(m);
    }
    for (String entry : spec.split(",")) {
      String e = entry.trim();
      if (e.isEmpty()) {
        continue;
      }
      int eq = e.indexOf('=');
      if (eq <= 0 || eq == e.length() - 1) {
        throw new IllegalArgumentException("'" + e + "': expected LABEL=app/<load-balancer-name>");
      }
      String label = e.substring(0, eq).trim();
      String lb = e.substring(eq + 1).trim();
      if (!lb.startsWith("app/") || lb.length() == 4) {
        throw new IllegalArgumentException(
            "'" + e + "': the load balancer is named as in the elb field, app/<name>");
      }
      String[] parts = lb.split("/");
      if (parts.length > 3) {
        throw new IllegalArgumentException("'" + e + "': app/<name> or app/<name>/<id>");
      }
      String key = parts[0] + "/" + parts[1];
      String previous = m.put(key, label);
      if (previous != null) {
        throw new IllegalArgumentException("'" + key + "' is mapped twice (" + previous + ", " + label + ")");
      }
    }
    return new Deployments(m);
  }

  /** The label of a load balancer ({@code app/<name>}), or the name itself when unmapped. */
  public String label(String loadBalancer) {
    String l = labelByLoadBalancer.get(loadBalancer);
    return l != null ? l : loadBalancer;
  }

  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(labelByLoadBalancer);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    labelByLoadBalancer.forEach((lb, l) -> b.append(b.length() == 0 ? "" : ",").append(l).append('=').append(lb));
    return b.toString();
  }
}
