export { smallTaxonomySource } from './small-taxonomy';
