package dev.llmserve.controller.deployments;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * The simulator needs one of its profiles; reported on the {@code profile} field.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = KnownProfile.Validator.class)
public @interface KnownProfile {

	String message() default "must be one of instant, tinyllama-a10g, llama3-8b-a10g for engine kind sim";

	Class<?>[] groups() default {};

	Class<? extends Payload>[] payload() default {};

	/** Checks {@link EngineRequest#profile()} against {@link Engine#SIM_PROFILES}. */
	final class Validator implements ConstraintValidator<KnownProfile, EngineRequest> {

		@Override
		public boolean isValid(EngineRequest engine, ConstraintValidatorContext context) {
			if (engine == null || !Engine.SIM.equals(engine.kind()) || Engine.SIM_PROFILES.contains(engine.profile())) {
				return true;
			}
			context.disableDefaultConstraintViolation();
			context.buildConstraintViolationWithTemplate(context.getDefaultConstraintMessageTemplate())
				.addPropertyNode("profile")
				.addConstraintViolation();
			return false;
		}

	}

}
