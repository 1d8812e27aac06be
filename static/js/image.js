// The image page: rating keys, KO dialog, undo, copy buttons.
"use strict";
