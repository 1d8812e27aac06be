// The gallery: keyboard focus ring, selection, infinite scroll.
"use strict";
