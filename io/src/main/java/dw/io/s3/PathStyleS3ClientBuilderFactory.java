package dw.io.s3;

import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * The S3 client builder the pipelines use ({@code --s3ClientFactoryClass}, set automatically):
 * Beam's default builder (region, credentials, {@code --endpoint}) plus
 *
 * <ul>
 *   <li>path-style addressing when {@code --s3PathStyle=true};
 *   <li>dropping the header {@code x-amz-server-side-encryption-bucket-key-enabled: false}, which
 *       Beam sends on every upload and S3-compatible servers such as S3Proxy reject with "501
 *       Server-side encryption is not supported" ({@code false} is S3's default, so AWS behaves the
 *       same without it);
 *   <li>counting the requests per S3 operation ({@link S3RequestCounter}), so tests and the
 *       benchmark can check how many listings a poll costs.
 * </ul>
 */
public class PathStyleS3ClientBuilderFactory implements S3ClientBuilderFactory {
  static final String BUCKET_KEY_HEADER = "x-amz-server-side-encryption-bucket-key-enabled";

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder = new DefaultS3ClientBuilderFactory().createBuilder(options);
    boolean pathStyle = options.as(S3AccessOptions.class).getS3PathStyle();
    if (pathStyle) {
      builder.forcePathStyle(true);
    }
    return builder.overrideConfiguration(
        c -> c.addExecutionInterceptor(new CompatibilityInterceptor()));
  }

  /** Drops the bucket-key header when it only restates the default, and counts requests. */
  static final class CompatibilityInterceptor implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(
        Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      SdkHttpRequest request = context.httpRequest();
      Map<String, List<String>> headers = request.headers();
      List<String> v = headers.get(BUCKET_KEY_HEADER);
      if (v != null && v.size() == 1 && "false".equalsIgnoreCase(v.get(0))) {
        return request.toBuilder().removeHeader(BUCKET_KEY_HEADER).build();
      }
      return request;
    }

    @Override
    public void beforeTransmission(
        Context.BeforeTransmission context, ExecutionAttributes attributes) {
      String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
      S3RequestCounter.increment(op == null ? "unknown" : op);
    }
  }
}
