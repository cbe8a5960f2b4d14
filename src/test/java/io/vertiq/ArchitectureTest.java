package io.vertiq;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/internals.md on the compiled classes: the layers (a package uses only
 * those below it), no cycle, and the package graph drawn in the doc is the one the code has.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.vertiq");

  @Test
  void eachLayerUsesOnlyTheLayersBelowIt() {
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("config")
        .definedBy("io.vertiq.config..")
        .layer("api")
        .definedBy("io.vertiq")
        .layer("redis")
        .definedBy("io.vertiq.redis..")
        .layer("observe")
        .definedBy("io.vertiq.observe..")
        .layer("core")
        .definedBy("io.vertiq.core..")
        .layer("handlers")
        .definedBy("io.vertiq.handlers..")
        .layer("worker")
        .definedBy("io.vertiq.worker..")
        .layer("flow")
        .definedBy("io.vertiq.flow..")
        .layer("schedule")
        .definedBy("io.vertiq.schedule..")
        .layer("limit")
        .definedBy("io.vertiq.limit..")
        .layer("http")
        .definedBy("io.vertiq.http..")
        .layer("server")
        .definedBy("io.vertiq.server..")
        .whereLayer("config")
        .mayNotAccessAnyLayer()
        .whereLayer("api")
        .mayOnlyAccessLayers("config")
        .whereLayer("redis")
        .mayOnlyAccessLayers("config", "api")
        .whereLayer("observe")
        .mayOnlyAccessLayers("config", "api", "redis")
        .whereLayer("core")
        .mayOnlyAccessLayers("config", "api", "redis", "observe")
        .whereLayer("handlers")
        .mayOnlyAccessLayers("api")
        .whereLayer("worker")
        .mayOnlyAccessLayers("config", "api", "redis", "observe", "core", "handlers")
        .whereLayer("flow")
        .mayOnlyAccessLayers("config", "api", "redis", "observe", "core", "worker")
        .whereLayer("schedule")
        .mayOnlyAccessLayers("config", "api", "redis", "observe", "core", "worker")
        .whereLayer("limit")
        .mayOnlyAccessLayers("config", "api", "redis", "observe", "core", "worker")
        .whereLayer("http")
        .mayOnlyAccessLayers(
            "config",
            "api",
            "redis",
            "observe",
            "core",
            "handlers",
            "worker",
            "flow",
            "schedule",
            "limit")
        .check(CLASSES);
  }

  /**
   * A type named by its full name in code hides a dependency from the imports, where a reader (and
   * this test's layers) look for them: the sources import what they use. Comments and strings (a
   * class name in a conf, say) are not code.
   */
  @Test
  void theSourcesNameNoTypeByItsFullName() throws Exception {
    Pattern full =
        Pattern.compile("\\b(?:java|javax|io|com|org)\\.(?:[a-z_][a-z0-9_]*\\.)+[A-Z]\\w*");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        boolean inComment = false;
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String l = lines.get(i).strip();
          if (inComment) {
            inComment = !l.contains("*/");
            continue;
          }
          if (l.startsWith("/*")) {
            inComment = !l.contains("*/");
            continue;
          }
          if (l.startsWith("import ") || l.startsWith("package ") || l.startsWith("//")) continue;
          String code = l.replaceAll("\"(?:\\\\.|[^\"\\\\])*\"", "\"\"").replaceAll("//.*$", "");
          if (full.matcher(code).find()) found.add(f + ":" + (i + 1) + ": " + l);
        }
      }
    }
    assertEquals(List.of(), found, "types named by their full name in code");
  }

  @Test
  void noPackageCycle() {
    SlicesRuleDefinition.slices()
        .matching("io.vertiq.(*)..")
        .should()
        .beFreeOfCycles()
        .check(CLASSES);
  }

  @Test
  void theDiagramInTheDocsIsThePackageGraph() throws Exception {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (JavaClass c : CLASSES) {
      String from = shortName(c.getPackageName());
      for (Dependency d : c.getDirectDependenciesFromSelf()) {
        JavaClass target = d.getTargetClass();
        if (!target.getPackageName().startsWith("io.vertiq")) continue;
        String to = shortName(target.getPackageName());
        if (!to.equals(from)) graph.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
      }
    }
    String computed =
        graph.entrySet().stream()
            .map(e -> e.getKey() + " -> " + String.join(", ", e.getValue()))
            .collect(Collectors.joining("\n"));
    String doc = Files.readString(Path.of("docs/internals.md"));
    int at = doc.indexOf("package graph");
    int start = doc.indexOf("```\n", at) + 4;
    String drawn = doc.substring(start, doc.indexOf("```", start)).strip();
    assertEquals(
        computed,
        drawn,
        "docs/internals.md's package graph (replace its block with the computed one)");
  }

  private static String shortName(String pkg) {
    if (pkg.equals("io.vertiq")) return "api";
    String rest = pkg.substring("io.vertiq.".length());
    int dot = rest.indexOf('.');
    return dot < 0 ? rest : rest.substring(0, dot);
  }
}
