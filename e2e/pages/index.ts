// Page objects for the e2e specs: role-based locators (getByRole, getByLabel) for what a person
// finds on the page, test ids only where the page gives no role or name.
export { QueuePage } from './QueuePage';
export { ConversationPage } from './ConversationPage';
export { ComposerPage } from './ComposerPage';
export { SettingsPage } from './SettingsPage';
export { LinkPanel } from './LinkPanel';
