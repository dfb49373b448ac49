/** Page analysis on small grey copies of scanned pages: platform-free, decided here, applied by the codec side. */
export { grayImage, type GrayImage } from './gray';
export { estimateSkew, type SkewEstimate, type SkewOptions } from './deskew';
export { detectBlank, type BlankOptions, type BlankVerdict } from './blank';
export { estimateOrientation, type OrientationEstimate } from './orientation';
export { findSheet, whitenOutside, type SheetBounds, type SheetOptions } from './sheet';
