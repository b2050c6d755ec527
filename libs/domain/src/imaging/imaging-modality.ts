export const IMAGING_MODALITIES = ['T1', 'T1c', 'T2', 'FLAIR', 'DWI', 'ADC', 'SWI', 'perfusion-DSC', 'perfusion-DCE', 'FET-PET', 'CT'] as const;
export type ImagingModality = (typeof IMAGING_MODALITIES)[number];
