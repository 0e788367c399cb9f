package org.apache.beam.runners.flink;

import java.lang.reflect.Field;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.util.construction.PTransformTranslation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Gives the Flink source of every Beam {@code Impulse} a stable operator UID in streaming jobs.
 *
 * <p>Why: Beam 2.70's Flink runner sets each operator's UID to its step's full name, except in
 * {@code FlinkStreamingTransformTranslators.ImpulseTranslator}, which adds the Impulse source
 * without one. Flink then derives the source's ID from the job topology, including whether the
 * source (parallelism 1) is chained to the next operator, which happens only when the job runs at
 * parallelism 1. The source holds state (whether it has fired), so a savepoint taken at
 * parallelism 2 cannot be restored at 1 ("Cannot map checkpoint/savepoint state for operator ...
 * to the new program"), and the other way round. With this, the source's UID is its step's full
 * name, like every other operator's, whatever the parallelism.
 *
 * <p>How: the runner's translator table is static and not extensible, so {@link #install()}
 * replaces its Impulse entry with a translator that runs Beam's own and then sets the UID. This
 * class lives in the runner's package because the translator base class is package-private; it
 * depends on Beam 2.70 internals and fails loudly if they change (pinned by
 * dw.pipelines.OperatorUidsTest).
 */
public final class ImpulseUids {
  private static boolean installed;

  private ImpulseUids() {}

  /** Installs the UID-setting Impulse translator (idempotent, per class loader). */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static synchronized void install() {
    if (installed) {
      return;
    }
    Map<String, FlinkStreamingPipelineTranslator.StreamTransformTranslator> table;
    try {
      Field f = FlinkStreamingTransformTranslators.class.getDeclaredField("TRANSLATORS");
      f.setAccessible(true);
      table = (Map<String, FlinkStreamingPipelineTranslator.StreamTransformTranslator>) f.get(null);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "this Beam version's Flink runner has no translator table to give Impulse a stable UID", e);
    }
    String urn = PTransformTranslation.IMPULSE_TRANSFORM_URN;
    FlinkStreamingPipelineTranslator.StreamTransformTranslator beams = table.get(urn);
    if (beams == null) {
      throw new IllegalStateException("this Beam version's Flink runner has no Impulse translator (" + urn + ")");
    }
    if (!(beams instanceof WithUid)) {
      table.put(urn, new WithUid(beams));
    }
    installed = true;
  }

  /** Beam's translator, then {@code uid(<full step name>)} on the operator it added. */
  private static final class WithUid<T extends PTransform<?, ?>>
      extends FlinkStreamingPipelineTranslator.StreamTransformTranslator<T> {
    private final FlinkStreamingPipelineTranslator.StreamTransformTranslator<T> beams;

    WithUid(FlinkStreamingPipelineTranslator.StreamTransformTranslator<T> beams) {
      this.beams = beams;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    void translateNode(T transform, FlinkStreamingTranslationContext context) {
      beams.translateNode(transform, context);
      DataStream<?> out = context.getInputDataStream(context.getOutput((PTransform) transform));
      if (!(out instanceof SingleOutputStreamOperator)) {
        throw new IllegalStateException(
            "Impulse was translated to " + out.getClass().getName() + ", not an operator whose UID can be set");
      }
      ((SingleOutputStreamOperator<?>) out).uid(FlinkStreamingTransformTranslators.getCurrentTransformName(context));
    }

    @Override
    boolean canTranslate(T transform, FlinkStreamingTranslationContext context) {
      return beams.canTranslate(transform, context);
    }
  }
}
