/**
 * The HTTP front end: controllers that turn requests into calls on the inference and registry
 * APIs and their answers into JSON or PNG, and the mapping of failures to problem details. No
 * ND4J type crosses this package.
 */
package io.github.dl4jserving.web;
