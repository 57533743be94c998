package io.github.maxnorm.nn.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.maxnorm.nn.Config;
import io.github.maxnorm.nn.DTypePolicy;
import io.github.maxnorm.nn.Layer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The {@code dtype} key of layer configs: Keras's forms in, the policy name out. */
class DTypePolicyConfigTest {
  private static Config dense(Object dtype) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "d");
    m.put("units", 3);
    if (dtype != null) {
      m.put("dtype", dtype);
    }
    return new Config("Dense", m);
  }

  @Test
  void theNameRoundTrips() {
    Layer d = LayerConfigs.fromConfig(dense("mixed_bfloat16"));
    assertEquals(DTypePolicy.MIXED_BFLOAT16, d.dtypePolicy());
    assertEquals("mixed_bfloat16", d.config().get("dtype"));
    Layer back = LayerConfigs.fromConfig(d.config());
    assertEquals(d.config().toJsonString(), back.config().toJsonString());

    Layer conv = new Conv2D(4, 3).dtypePolicy(DTypePolicy.MIXED_BFLOAT16);
    Layer convBack = LayerConfigs.fromConfig(conv.config());
    assertEquals(DTypePolicy.MIXED_BFLOAT16, convBack.dtypePolicy());
    assertEquals(conv.config().toJsonString(), convBack.config().toJsonString());
  }

  @Test
  void kerasPolicyObjectsAreRead() {
    // tf.keras 2 writes a mixed policy as a Policy object, Keras 3 as a DTypePolicy object
    Map<String, Object> tf2 = Map.of("class_name", "Policy",
        "config", Map.of("name", "mixed_bfloat16"));
    Map<String, Object> keras3 = new LinkedHashMap<>();
    keras3.put("module", "keras");
    keras3.put("class_name", "DTypePolicy");
    keras3.put("config", Map.of("name", "mixed_bfloat16"));
    keras3.put("registered_name", null);
    assertEquals(DTypePolicy.MIXED_BFLOAT16, LayerConfigs.fromConfig(dense(tf2)).dtypePolicy());
    assertEquals(DTypePolicy.MIXED_BFLOAT16,
        LayerConfigs.fromConfig(dense(keras3)).dtypePolicy());
    assertEquals(DTypePolicy.FLOAT32, LayerConfigs.fromConfig(dense(Map.of("class_name",
        "DTypePolicy", "config", Map.of("name", "float32")))).dtypePolicy());
  }

  @Test
  void float32IsAPolicyOfItsOwnAndAbsenceIsNone() {
    assertEquals(DTypePolicy.FLOAT32, LayerConfigs.fromConfig(dense("float32")).dtypePolicy());
    Layer none = LayerConfigs.fromConfig(dense(null));
    assertNull(none.dtypePolicy());
    assertEquals("float32", none.config().get("dtype"));
    assertEquals("mixed_bfloat16", none.config(DTypePolicy.MIXED_BFLOAT16).get("dtype"),
        "a model's default is written for a layer without a policy");
    Layer own = new Dense(2).dtypePolicy(DTypePolicy.FLOAT32);
    assertEquals("float32", own.config(DTypePolicy.MIXED_BFLOAT16).get("dtype"),
        "a layer's own policy wins over the default");
  }

  @ParameterizedTest
  @ValueSource(strings = {"float16", "mixed_float16", "bfloat16", "float64", ""})
  void otherDtypesAreRefusedNamingThem(String dtype) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LayerConfigs.fromConfig(dense(dtype)));
    assertEquals("Dense: dtype must be float32 or mixed_bfloat16, received '" + dtype + "'",
        e.getMessage());
  }

  @Test
  void malformedPolicyObjectsAreRefused() {
    for (Object bad : List.of(Map.of("class_name", "Policy"), Map.of("class_name", "Other",
        "config", Map.of("name", "float32")), 3)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> LayerConfigs.fromConfig(dense(bad)));
      assertTrue(e.getMessage().startsWith("Dense: dtype must be float32 or mixed_bfloat16,"),
          e.getMessage());
    }
  }

  @Test
  void policyNamesAndDtypes() {
    assertEquals(DTypePolicy.MIXED_BFLOAT16, DTypePolicy.of("Mixed_BFloat16"));
    assertEquals("bfloat16", DTypePolicy.MIXED_BFLOAT16.computeDtype());
    assertEquals("float32", DTypePolicy.MIXED_BFLOAT16.variableDtype());
    assertEquals("float32", DTypePolicy.FLOAT32.computeDtype());
  }
}
