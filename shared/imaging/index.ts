/** Page analysis on small grey copies of scanned pages: platform-free, decided here, applied by the codec side. */
export { grayImage, type GrayImage } from './gray';
export { estimateSkew,   } from './deskew';
export { detectBlank,   } from './blank';
export { estimateOrientation,  } from './orientation';
export { findSheet, whitenOutside, type SheetBounds,  } from './sheet';
