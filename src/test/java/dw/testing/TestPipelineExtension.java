package dw.testing;

import java.lang.reflect.Method;
import org.apache.beam.sdk.testing.TestPipeline;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.runner.Description;
import org.junit.runners.model.Statement;

/**
 * Runs Beam's JUnit 4 {@link TestPipeline} rule around a Jupiter test method: declare a {@code
 * TestPipeline} parameter and annotate the class with {@code @ExtendWith(TestPipelineExtension.class)}.
 * The rule's checks still apply (a pipeline that was built but never run fails the test).
 */
public final class TestPipelineExtension implements ParameterResolver, InvocationInterceptor {
  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(TestPipelineExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    return pc.getParameter().getType() == TestPipeline.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    return ec.getStore(NS)
        .getOrComputeIfAbsent(
            "pipeline",
            k -> TestPipeline.create().enableAbandonedNodeEnforcement(true),
            TestPipeline.class);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext ec)
      throws Throwable {
    TestPipeline pipeline = ec.getStore(NS).get("pipeline", TestPipeline.class);
    if (pipeline == null) {
      invocation.proceed();
      return;
    }
    Statement body =
        new Statement() {
          @Override
          public void evaluate() throws Throwable {
            invocation.proceed();
          }
        };
    Description d =
        Description.createTestDescription(
            ec.getRequiredTestClass(), ec.getRequiredTestMethod().getName());
    pipeline.apply(body, d).evaluate();
  }
}
