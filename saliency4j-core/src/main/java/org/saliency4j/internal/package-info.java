/**
 * The library's own access to the values' owning constructors ({@link org.saliency4j.internal.Adopted}), shared by
 * the packages that make large arrays. Not API. May import: {@code org.saliency4j}'s values and the JDK.
 */
package org.saliency4j.internal;
