package org.saliency4j;

import org.saliency4j.explain.Engine;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Applies {@link EngineSettings#recommended()} before each test class, as the CLI and the service do at start-up:
 * loading a model no longer sets libtorch's threads, and on 2-core machines libtorch's own count makes the
 * timing-bound tests several times slower. Registered for all tests by junit-platform.properties.
 */
public final class RecommendedEngineSettings implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        Engine.configure(EngineSettings.recommended());
    }
}
