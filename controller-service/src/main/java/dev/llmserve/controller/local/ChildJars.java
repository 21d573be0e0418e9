package dev.llmserve.controller.local;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.system.ApplicationHome;

/**
 * Finds the jars of the services the controller runs. By default they sit where the build
 * leaves them, next to this controller's own module:
 * {@code <repo>/controller-service/target/
 * controller-service.jar} implies
 * {@code <repo>/gateway-service/target/gateway-service.jar}.
 */
final class ChildJars {

	private ChildJars() {
	}

	/**
	 * The configured jar, or the module's jar in the build tree; either must exist.
	 * @param configured the configured path, or {@code null}
	 * @param module the service's module name, e.g. {@code gateway-service}
	 * @param property the setting that overrides it, for the error message
	 * @param controllerLocation this controller's jar, or its {@code target/classes}
	 * @throws IllegalStateException if there is no such jar
	 */
	static Path resolve(Path configured, String module, String property, Path controllerLocation) {
		Path jar = (configured != null) ? configured : inBuildTree(module, controllerLocation);
		if (!Files.isRegularFile(jar)) {
			throw new IllegalStateException(("The %s jar is not at %s. Build it first (./mvnw -q -DskipTests package), "
					+ "set %s to where it is, or turn local mode off (llmserve.controller.local.enabled=false).")
				.formatted(module, jar.toAbsolutePath().normalize(), property));
		}
		return jar.toAbsolutePath().normalize();
	}

	/**
	 * Where this controller's code was loaded from: its jar, or its classes directory.
	 */
	static Path controllerLocation() {
		File source = new ApplicationHome(ChildJars.class).getSource();
		return (source != null) ? source.toPath().toAbsolutePath() : Path.of("controller-service", "target", "classes");
	}

	private static Path inBuildTree(String module, Path controllerLocation) {
		// .../controller-service/target/{controller-service.jar | classes} -> ...
		Path target = controllerLocation.toAbsolutePath().getParent();
		Path repository = (target != null && target.getParent() != null) ? target.getParent().getParent() : null;
		Path base = (repository != null) ? repository : Path.of("");
		return base.resolve(module).resolve("target").resolve(module + ".jar");
	}

}
