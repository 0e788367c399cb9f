package dw.pipelines;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/**
 * Options of the {@code push-proxy} pipeline: the shared {@link LogPipelineOptions} (same names and
 * meaning as {@code security-pings}) plus the deployment mapping and the lateness default for
 * load-balancer logs.
 */
public interface PushProxyOptions extends LogPipelineOptions {
  @Description(
      "Deployment labels of the load balancers, LABEL=app/<load-balancer-name> comma-separated,"
          + " e.g. US=app/push-proxy-us,EU=app/push-proxy-eu,TEST=app/push-proxy-test. The name is"
          + " the elb field without its id. Unmapped load balancers keep their name as the label.")
  @Default.String("")
  String getDeployments();

  void setDeployments(String value);
}
