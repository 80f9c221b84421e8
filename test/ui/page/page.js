// Loads the built components the way a page that installed the package would.
import '../../../dist/ui.js';

document.body.dataset.ready = 'true';
