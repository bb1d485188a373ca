import { defineBackground } from 'wxt/utils/define-background';
import { pinPanelsToDocsTabs } from '../lib/panel-tabs.js';

export default defineBackground(() => {
  pinPanelsToDocsTabs();
});
